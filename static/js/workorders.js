// The editor: after an htmx change (a line added or removed), every form on the page
// carries the work order's new version, so the next save is not taken for a conflict.
document.addEventListener("htmx:afterSettle", function () {
  var current = document.getElementById("wo-version");
  if (!current) return;
  document.querySelectorAll('input[name="version"]').forEach(function (input) {
    input.value = current.value;
  });
});
