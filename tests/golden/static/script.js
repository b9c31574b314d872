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

// A wide table's region says that it scrolls (the hint is in its data-hint), only when it does.
function markScrollingTables() {
  var regions = document.querySelectorAll(".table-scroll");
  for (var index = 0; index < regions.length; index++) {
    var region = regions[index];
    region.classList.toggle("scrolls", region.scrollWidth > region.clientWidth + 1);
  }
}
document.addEventListener("DOMContentLoaded", markScrollingTables);
window.addEventListener("resize", markScrollingTables);
