// Remembers the script edition a reader chose, so the root page sends them back to it.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-edition]");
  if (!link) return;
  try {
    localStorage.setItem("ogpsite-edition", link.getAttribute("data-edition"));
  } catch (error) {
    // Storage can be disabled; the links still work.
  }
});
