// Search across scripts. The Pagefind index holds each report once, folded (Latin, lower
// case, no diacritics: ogpsite/build/search.py `fold`); the query is folded here the same way,
// so `друштво`, `društvo` and `drustvo` find the same reports. Results are shown in this
// page's script and link into this page's edition. The index is in shards (a year's, or in a
// large year a month's), listed newest first: a search merges them into the empty index beside
// Pagefind's script only as it needs them, newest first, until it has a page of results; the
// older ones when the reader asks for more. A month of a large year is loaded only if its year's
// directory (one page of words per month) says it can match. Results come newest shard first,
// each shard's best match first.
(function () {
  "use strict";

  // The same steps as Python's `fold`: lower case, each letter through the table the
  // build wrote from Python (Cyrillic to Latin, đ to dj, ...), then accents dropped.
  function makeFold(table) {
    return function fold(text) {
      var out = "";
      for (var char of text.normalize("NFC").toLowerCase()) {
        out += Object.prototype.hasOwnProperty.call(table, char) ? table[char] : char;
      }
      return out.normalize("NFKD").replace(/\p{Mn}/gu, "");
    };
  }

  // A record's words in `script` from its words file: its Cyrillic words, or for Latin each
  // made Latin letter by letter, but for the words the build listed with their Latin
  // (`index word` pairs).
  function recordWords(stored, script, latinTable) {
    var words = (stored.text || "").split(" ");
    if (script !== "latin") return words;
    var latin = words.map(function (word) {
      var out = "";
      for (var char of word) out += Object.prototype.hasOwnProperty.call(latinTable, char) ? latinTable[char] : char;
      return out;
    });
    var exceptions = stored.latin ? stored.latin.split(" ") : [];
    for (var index = 0; index + 1 < exceptions.length; index += 2) latin[Number(exceptions[index])] = exceptions[index + 1];
    return latin;
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { makeFold: makeFold, recordWords: recordWords };  // for the tests that compare them with Python
    return;
  }

  var form = document.getElementById("search-form");
  if (!form) return;
  var tables = JSON.parse(document.getElementById("search-tables").textContent);
  var fold = makeFold(tables.fold);
  var script = form.dataset.script;
  var editionRoot = form.dataset.editionRoot;
  var query = document.getElementById("search-query");
  var institution = document.getElementById("search-institution");
  var year = document.getElementById("search-year");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var plurals = new Intl.PluralRules(document.documentElement.lang || "sr");
  var shards = form.dataset.shards.split(" ").filter(Boolean);  // none when the site has no reports yet: nothing is found
  // No web worker: it would be a second copy of Pagefind's script to download, and searching
  // shards this small takes the page's own thread milliseconds.
  var pagefind = shards.length ? import(form.dataset.bundle + "pagefind.js").then(async function (engine) {
    await engine.options({ noWorker: true });
    return engine;
  }).catch(function () { return null; }) : Promise.resolve(null);
  var merged = {};  // shard -> its merge, once started
  var EXCERPT_WORDS = 30;
  // Results are shown ten at a time: each costs its fragment and its words file, so a first
  // search downloads ten of them, not every match's.
  var SHOWN_AT_ONCE = 10;
  var latest = 0;
  var current = null;  // the last search: its shards not searched yet and its results not shown yet

  function filters() {
    var chosen = {};
    if (institution.value) chosen.institution = institution.value;
    if (year.value) chosen.year = year.value;
    return chosen;
  }

  // A result's words in this script, from the file beside its shard: gzipped JSON (unless a
  // server already unpacked it on the way, as some do for gzip they recognise).
  async function loadWords(data) {
    var bytes = new Uint8Array(await (await fetch(form.dataset.bundle + data.meta.words)).arrayBuffer());
    var packed = bytes[0] === 0x1f && bytes[1] === 0x8b;
    var text = packed ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text() : new TextDecoder().decode(bytes);
    return recordWords(JSON.parse(text), script, tables.latin);
  }

  // Words around the first match, in this script; matched words marked.
  function excerpt(data, words) {
    var matched = new Set(data.locations);
    var first = data.locations.length ? Math.min.apply(null, data.locations) : 0;
    var start = Math.max(0, first - Math.floor(EXCERPT_WORDS / 3));
    var end = Math.min(words.length, start + EXCERPT_WORDS);
    var paragraph = document.createElement("p");
    paragraph.className = "summary";
    paragraph.append(start > 0 ? "… " : "");
    for (var index = start; index < end; index++) {
      if (matched.has(index)) {
        var mark = document.createElement("mark");
        mark.textContent = words[index];
        paragraph.append(mark);
      } else {
        paragraph.append(words[index]);
      }
      paragraph.append(index + 1 < end ? " " : "");
    }
    paragraph.append(end < words.length ? " …" : "");
    return paragraph;
  }

  function resultItem([data, words]) {
    var item = document.createElement("li");
    item.className = "report-item";
    var heading = document.createElement("h2");
    heading.className = "report-item-title";
    var link = document.createElement("a");
    link.href = editionRoot + data.raw_url.replace(/^\//, "");
    link.textContent = data.meta["title_" + script];
    heading.append(link);
    var date = document.createElement("p");
    date.className = "meta";
    date.textContent = data.meta["date_" + script];
    item.append(heading, date, excerpt(data, words));
    return item;
  }

  // The count so far: while older shards are not searched yet it says how far back it went.
  function describe(search) {
    if (!search.found && !search.queue.length) return status.dataset.none;
    var counted = search.found + " " + (status.dataset[plurals.select(search.found)] || status.dataset.other);
    return search.queue.length ? counted + " " + status.dataset.soFar.replace("#", search.searchedTo.split("-")[0]) : counted;
  }

  // An index merged into the engine once, tagged with its own name (Pagefind's `mergeFilter`) so
  // that a search can ask one index alone: a shard, or a year's directory (below).
  function merge(engine, name) {
    if (!merged[name]) merged[name] = engine.mergeIndex(form.dataset.bundle + name + "/", { mergeFilter: { shard: name } });
    return merged[name];
  }

  // A search over the merged engine searches every index merged so far, whatever its filters:
  // one search per batch, its counts by shard say which shards of the batch have results; only
  // those are asked for them, one by one (for their order: newest shard first).
  async function matches(engine, term, chosen) {
    var response = await engine.search(term, { filters: chosen });
    return (response.filters && response.filters.shard) || {};
  }

  // A year split into months has a directory (`pagefind/<year>/`): a page per month holding the
  // month's words, filtered by `month`. One search of it says which months can match, before
  // any month is loaded: a rare word does not load every month of the archive. A phrase is
  // looked up by its words (the directory's are out of order).
  // (Pagefind counts a filter's values only when the search names that filter: hence `any`.)
  async function monthsWithMatches(engine, search, months) {
    var years = months.map(function (shard) { return shard.split("-")[0]; }).filter(function (year, index, all) {
      return !(year in search.directory) && all.indexOf(year) === index;
    });
    await Promise.all(years.map(async function (year) {
      await merge(engine, year);
      var ofYear = shards.filter(function (shard) { return shard.startsWith(year + "-"); });
      var response = await engine.search(search.term.replace(/"/g, " "), { filters: { shard: year, month: { any: ofYear } } });
      search.directory[year] = (response.filters && response.filters.month) || {};
    }));
    return months.filter(function (shard) { return search.directory[shard.split("-")[0]][shard] > 0; });
  }

  // The next shards of `search`, newest first, searched until it has a page of results not
  // shown yet or none is left: one shard, then two, four...: few downloads for a common word,
  // few round trips for a rare one.
  async function searchOlder(engine, search) {
    while (search.pending.length < SHOWN_AT_ONCE && search.queue.length) {
      var taken = search.queue.splice(0, search.batch);
      search.batch *= 2;
      var months = await monthsWithMatches(engine, search, taken.filter(function (shard) { return shard.includes("-"); }));
      var next = taken.filter(function (shard) { return !shard.includes("-") || months.includes(shard); });
      await Promise.all(next.map(function (shard) { return merge(engine, shard); }));
      var counts = next.length > 1 ? await matches(engine, search.term, search.filters) : null;
      var found = counts ? next.filter(function (shard) { return counts[shard] > 0; }) : next;
      var responses = await Promise.all(found.map(function (shard) {
        return engine.search(search.term, { filters: Object.assign({ shard: shard }, search.filters) });
      }));
      if (search.ticket !== latest) return;  // a newer query already answered
      responses.forEach(function (response) { search.pending.push.apply(search.pending, response.results); });
      search.found += responses.reduce(function (sum, response) { return sum + response.results.length; }, 0);
      search.searchedTo = taken[taken.length - 1];
    }
  }

  // The script switch keeps the search: the other edition's search page gets the same query.
  function keepStateInLinks(params) {
    document.querySelectorAll("a[data-edition]").forEach(function (link) {
      link.search = params.toString() ? "?" + params.toString() : "";
    });
  }

  // The next results of `search`, searching older shards first if it has too few; put after
  // those shown, or instead of them (`replacing`: a new search's first results).
  async function showMore(search, replacing) {
    var engine = await pagefind;
    if (engine) await searchOlder(engine, search);
    if (search.ticket !== latest) return;
    var next = search.pending.splice(0, SHOWN_AT_ONCE);
    var found = await Promise.all(next.map(async function (result) {
      var data = await result.data();
      return [data, await loadWords(data)];
    }));
    if (search.ticket !== latest) return;
    if (replacing) list.replaceChildren();
    list.append.apply(list, found.map(resultItem));
    more.hidden = !search.pending.length && !search.queue.length;
    status.textContent = describe(search);
  }

  async function run() {
    var ticket = ++latest;
    var params = new URLSearchParams();
    if (query.value) params.set("q", query.value);
    if (institution.value) params.set("institution", institution.value);
    if (year.value) params.set("year", year.value);
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    keepStateInLinks(params);
    var folded = fold(query.value).trim();
    if (!folded) {
      list.replaceChildren();
      current = null;
      more.hidden = true;
      status.textContent = "";
      return;
    }
    // A chosen year: its shards alone.
    var queue = shards.filter(function (shard) { return !year.value || shard.split("-")[0] === year.value; });
    current = { ticket: ticket, term: folded, filters: filters(), queue: queue, batch: 1, pending: [], found: 0, searchedTo: "", directory: {} };
    await showMore(current, true);
    if (ticket !== latest) return;
    form.dataset.state = "done";
  }

  function start() {
    form.dataset.state = "searching";
    run().catch(function (error) {
      status.textContent = String(error);
      form.dataset.state = "failed";
    });
  }

  var params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  institution.value = params.get("institution") || "";
  year.value = params.get("year") || "";
  form.addEventListener("submit", function (event) { event.preventDefault(); start(); });
  more.addEventListener("click", function () {
    form.dataset.state = "searching";
    showMore(current, false).then(function () { form.dataset.state = "done"; }, function (error) {
      status.textContent = String(error);
      form.dataset.state = "failed";
    });
  });
  query.addEventListener("input", start);
  institution.addEventListener("change", start);
  year.addEventListener("change", start);
  if (query.value) start();
})();
