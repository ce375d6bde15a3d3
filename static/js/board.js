// Today's Vehicles Page: timers move on every second from the instants the server gave
// (count down: the deadline; count up: the start; an appointment: its time), and turn
// orange/red by themselves; the columns are refreshed by htmx (204 while nothing changed).
(function () {
  "use strict";
  function clock(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var m = minutes % 60;
    return Math.floor(minutes / 60) + ":" + (m < 10 ? "0" : "") + m;
  }
  function paint(timer, state, text) {
    timer.textContent = text;
    timer.classList.remove("timer--ok", "timer--warn", "timer--late");
    if (state) timer.classList.add("timer--" + state);
    var card = timer.closest(".vcard");
    if (card) {
      card.classList.remove("vcard--ok", "vcard--warn", "vcard--late");
      if (state) card.classList.add("vcard--" + state);
    }
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-timer]").forEach(function (timer) {
      var anchor = Number(timer.dataset.anchor);
      var kind = timer.dataset.timer;
      if (kind === "count_down") {
        var left = anchor - now;
        if (left <= 0) paint(timer, "late", clock(left) + " over");
        else paint(timer, left <= Number(timer.dataset.warn) ? "warn" : "ok", clock(left) + " left");
      } else if (kind === "count_up") {
        paint(timer, "", clock(now - anchor) + " in status");
      } else if (kind === "appointment") {
        if (anchor <= now) paint(timer, "late", clock(now - anchor) + " past due");
        else paint(timer, "ok", "in " + clock(anchor - now));
      }
    });
  }
  // No refresh while someone is choosing a status or a priority, or reading the history.
  window.boardIdle = function () {
    var active = document.activeElement;
    var dialog = document.getElementById("history-dialog");
    return !(active && active.closest && active.closest(".vcard, .customer-source-picker")) &&
      !(dialog && dialog.open);
  };
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", function (event) {
    tick();
    if (event.detail.target && event.detail.target.id === "history-dialog-body") {
      var dialog = document.getElementById("history-dialog");
      if (dialog && !dialog.open) dialog.showModal();
    }
  });
  setInterval(tick, 1000);
})();
