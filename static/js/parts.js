// The parts list in the work-order editor's add-line forms (parts/contributions.py draws
// the box). Typing in Part # or Description offers catalog parts; picking one fills the
// form, and the line is then added through parts (its core charge follows), by sending
// the same form to parts' own address. A line typed by hand goes to workorders as before.
(function () {
  "use strict";
  if (window.partsTypeaheadLoaded) return;
  window.partsTypeaheadLoaded = true;

  var HAND_HINT = "Not from the parts list: the line is added as typed.";

  function money(text) {
    var value = Number(text);
    return "$" + value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function setup(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var form = box.closest("form");
    var list = box.querySelector("[role=listbox]");
    var hint = box.querySelector(".part-pick__hint");
    var hidden = box.querySelector("input[name=catalog_part]");
    var number = form.querySelector("input[name=part_number]");
    var description = form.querySelector("input[name=description]");
    var inputs = [number, description].filter(Boolean);
    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var current = null;
    var pickedNumber = hidden.value ? (number && number.value) : null;

    inputs.forEach(function (input) {
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-controls", list.id);
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("autocomplete", "off");
      input.addEventListener("input", function () {
        if (hidden.value && input === number && number.value !== pickedNumber) unpick();
        current = input;
        clearTimeout(timer);
        timer = setTimeout(function () { search(input.value); }, 150);
      });
      input.addEventListener("keydown", function (event) { onKey(event, input); });
      input.addEventListener("blur", function () { setTimeout(close, 200); });
    });

    function search(text) {
      if (text.trim().length < 2) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      var url = box.dataset.searchUrl + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { /* a newer search replaced this one */ });
    }

    function show(found) {
      results = found;
      active = -1;
      list.textContent = "";
      if (!results.length) {
        close();
        hint.textContent = "No part in the parts list matches. " + HAND_HINT;
        return;
      }
      results.forEach(function (part, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "part-pick__option";
        var head = document.createElement("span");
        head.className = "part-pick__number";
        head.textContent = part.number;
        var text = document.createElement("span");
        text.className = "part-pick__text";
        text.textContent = part.description + (part.brand ? " · " + part.brand : "");
        var meta = document.createElement("span");
        meta.className = "part-pick__meta";
        var stock = part.kind !== "part" ? part.kind : (part.stocked ? "On hand " + part.on_hand : "Non-stock");
        if (part.kind === "part" && part.stocked && Number(part.on_hand) <= 0) {
          meta.classList.add("part-pick__meta--out");
        }
        meta.textContent = stock + (part.bin ? " · Bin " + part.bin : "");
        var price = document.createElement("span");
        price.className = "part-pick__price";
        price.textContent = money(part.price);
        option.append(head, text, meta, price);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(index); });
        list.appendChild(option);
      });
      list.hidden = false;
      inputs.forEach(function (input) { input.setAttribute("aria-expanded", input === current ? "true" : "false"); });
      hint.textContent = results.length + (results.length === 1 ? " part matches" : " parts match") + ": arrow keys and Enter pick one.";
    }

    function close() {
      list.hidden = true;
      active = -1;
      inputs.forEach(function (input) {
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
      });
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (options[index]) {
        current.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function onKey(event, input) {
      current = input;
      if (list.hidden || !results.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % results.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    }

    function set(name, value) {
      var field = form.querySelector("[name=" + name + "]");
      if (field) field.value = value;
    }

    function pick(index) {
      var part = results[index];
      set("kind", part.kind);
      set("part_number", part.number);
      set("description", part.description);
      set("unit_price", part.kind === "labor" && part.price_from !== "fixed" ? "" : part.price);
      set("unit_cost", part.cost);
      set("taxable", part.taxable ? "yes" : "no");
      hidden.value = part.id;
      pickedNumber = part.number;
      close();
      var bits = ["From the parts list: " + part.number];
      if (part.kind === "part") bits.push(part.stocked ? "on hand " + part.on_hand + (part.bin ? " in bin " + part.bin : "") : "non-stock");
      bits.push(money(part.price) + (part.price_from === "matrix" ? " from the pricing matrix" : " fixed price"));
      if (Number(part.core_charge) > 0) bits.push("its core charge of " + money(part.core_charge) + " is added as a line");
      hint.textContent = bits.join(" · ") + ". A price changed here shows as an override.";
      var quantity = form.querySelector("[name=quantity]");
      if (quantity) { quantity.focus(); quantity.select(); }
    }

    function unpick() {
      hidden.value = "";
      pickedNumber = null;
      hint.textContent = HAND_HINT;
    }
  }

  function setupWithin(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("[data-part-pick]")) setup(root);
    root.querySelectorAll("[data-part-pick]").forEach(setup);
  }

  // A picked part: the form goes to parts' address instead of workorders' (same fields).
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM") return;
    var box = form.querySelector("[data-part-pick]");
    var hidden = box && box.querySelector("input[name=catalog_part]");
    if (hidden && hidden.value) event.detail.path = box.dataset.addUrl;
  });
  document.addEventListener("htmx:load", function (event) { setupWithin(event.detail.elt); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setupWithin(document); });
  } else {
    setupWithin(document);
  }
})();
