// The public catalogue: the sort select submits itself; the facet box starts closed on phones.
document.addEventListener("DOMContentLoaded", function () {
  var sort = document.getElementById("sort");
  if (sort) sort.addEventListener("change", function () { sort.form.submit(); });
  var facets = document.querySelector("details.facets-box");
  if (facets && window.matchMedia("(max-width: 819px)").matches) facets.open = false;
});
