// The customer form: "Add another phone" / "Add another e-mail" add a row to a Django
// formset without a page load. A row is a copy of the formset's empty form (in its
// <template>) with __prefix__ replaced by the next index; TOTAL_FORMS counts it.
// Without JavaScript the buttons stay hidden and a save offers a new blank row.
(function () {
  "use strict";

  function setUp(fieldset) {
    var prefix = fieldset.dataset.formset;
    var total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = fieldset.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var rows = fieldset.querySelector("[data-formset-rows]");
    var template = fieldset.querySelector("template[data-formset-empty]");
    var add = fieldset.querySelector("[data-formset-add]");
    var full = fieldset.querySelector("[data-formset-full]");
    if (!total || !rows || !template || !add) return;
    var limit = max ? parseInt(max.value, 10) : 1000;

    function rowCount() {
      return rows.querySelectorAll("[data-formset-row]").length;
    }

    function refresh() {
      rows.querySelectorAll("[data-formset-row]").forEach(function (row, index) {
        row.querySelectorAll("[data-row-number]").forEach(function (number) {
          number.textContent = String(index + 1);
        });
      });
      var atLimit = parseInt(total.value, 10) >= limit;
      add.hidden = atLimit;
      if (full) full.hidden = !atLimit;
    }

    // Rows after a removed one move up an index, so the submitted indexes stay 0..TOTAL-1.
    function renumber(row, from, to) {
      var old = prefix + "-" + from + "-";
      var now = prefix + "-" + to + "-";
      row.querySelectorAll("[name], [id], label[for]").forEach(function (element) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value && value.indexOf(old) !== -1) {
            element.setAttribute(attribute, value.split(old).join(now));
          }
        });
      });
    }

    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (index >= limit) return;
      var html = template.innerHTML
        .split("__prefix__").join(String(index))
        .split("__number__").join(String(rowCount() + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      row.dataset.formsetIndex = String(index);
      rows.appendChild(row);
      total.value = String(index + 1);
      refresh();
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });

    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button) return;
      var row = button.closest("[data-formset-row]");
      var removed = parseInt(row.dataset.formsetIndex, 10);
      row.remove();
      rows.querySelectorAll("[data-formset-index]").forEach(function (later) {
        var index = parseInt(later.dataset.formsetIndex, 10);
        if (index > removed) {
          renumber(later, index, index - 1);
          later.dataset.formsetIndex = String(index - 1);
        }
      });
      total.value = String(parseInt(total.value, 10) - 1);
      refresh();
      add.focus();
    });

    add.hidden = false;
    refresh();
  }

  // After a failed save the error summary at the top takes the focus (it is read out),
  // and each of its links puts the cursor in the field it names.
  function errorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.addEventListener("click", function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
    summary.focus();
  }

  function start() {
    document.querySelectorAll("fieldset[data-formset]").forEach(setUp);
    errorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
