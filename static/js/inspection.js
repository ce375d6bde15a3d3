// Inspection notes are never lost. A note is saved when the technician stops typing for a
// moment, leaves the field, or rates the item (the notes field belongs to the rating form, so
// the rating sends it). Every note typed is kept on the tablet (localStorage) until the shop
// has it: offline, it waits there and is sent when the tablet is back online or the page is
// opened again. Each item says what happened to its note: Saving…, Saved, or Offline.
(function () {
  "use strict";

  var KEY = "shop.inspection-notes";
  var TYPING_PAUSE_MS = 1500;
  var timers = {};
  var typedDuringSwap = {};

  function kept() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY)) || {};
    } catch (error) {
      return {};
    }
  }

  function keep(notesByUrl) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(notesByUrl));
    } catch (error) {
      // Private mode or a full disk: the note is still sent, just not kept across a reload.
    }
  }

  function remember(url, resultId, notes) {
    var all = kept();
    all[url] = { result: resultId, notes: notes };
    keep(all);
  }

  function forget(url, notes) {
    var all = kept();
    if (all[url] && all[url].notes === notes) {
      delete all[url];
      keep(all);
    }
  }

  function field(resultId) {
    return document.getElementById("notes-" + resultId);
  }

  function urlOf(resultId) {
    var box = document.querySelector('.inspect-notes[data-result="' + resultId + '"]');
    return box ? box.dataset.notesUrl : null;
  }

  function say(resultId, text, state) {
    var where = document.getElementById("notes-state-" + resultId);
    if (!where) return;
    where.textContent = text;
    where.dataset.state = state;
  }

  function csrfToken() {
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function waitForNetwork(resultId) {
    say(resultId, "Offline: kept on this tablet, sent when back online", "offline");
  }

  function send(url, resultId, notes) {
    remember(url, resultId, notes);
    if (navigator.onLine === false) {
      waitForNetwork(resultId);
      return;
    }
    say(resultId, "Saving…", "saving");
    var body = new FormData();
    body.append("notes", notes);
    body.append("csrfmiddlewaretoken", csrfToken());
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": csrfToken() },
    })
      .then(function (response) {
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var refusal = page.querySelector('.field__error[role="alert"]');
          if (response.status >= 500) {
            say(resultId, "Not saved yet: kept on this tablet and tried again on reload", "offline");
            return;
          }
          if (!response.ok || refusal) {
            // Refused for good (billed out, no longer this technician's): retrying cannot help.
            forget(url, notes);
            say(resultId, "Not saved: " + (refusal ? refusal.textContent : "refused"), "error");
            return;
          }
          forget(url, notes);
          var current = field(resultId);
          if (current) current.dataset.saved = notes;
          if (current && current.value !== notes) {
            say(resultId, "Not saved yet", "dirty");
          } else {
            say(resultId, "Saved", "saved");
          }
        });
      })
      .catch(function () {
        waitForNetwork(resultId);
      });
  }

  function saveNow(typedIn) {
    var resultId = typedIn.dataset.result;
    var textarea = field(resultId) || typedIn; // the item may have been redrawn since
    clearTimeout(timers[resultId]);
    var url = urlOf(resultId);
    if (!url) return;
    var saved = textarea.dataset.saved !== undefined ? textarea.dataset.saved : textarea.defaultValue;
    if (textarea.value === saved) return;
    send(url, resultId, textarea.value);
  }

  function sendKept() {
    var all = kept();
    Object.keys(all).forEach(function (url) {
      send(url, all[url].result, all[url].notes);
    });
  }

  function isNotes(element) {
    return element && element.classList && element.classList.contains("inspect-notes__field");
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!isNotes(textarea)) return;
    var resultId = textarea.dataset.result;
    var url = urlOf(resultId);
    if (url) remember(url, resultId, textarea.value);
    say(resultId, "Not saved yet", "dirty");
    clearTimeout(timers[resultId]);
    timers[resultId] = setTimeout(function () {
      saveNow(textarea);
    }, TYPING_PAUSE_MS);
  });

  // A tap on the item's rating or Save notes sends the notes with it (the field belongs to
  // that form): leaving the field for that tap needs no save of its own. The tap's
  // pointerdown comes before the field's focusout.
  var tappedSubmit = null;
  document.addEventListener("pointerdown", function (event) {
    var button = event.target.closest && event.target.closest("button[type=submit]");
    tappedSubmit = button && button.form ? button.form : null;
  });

  document.addEventListener("focusout", function (event) {
    if (!isNotes(event.target)) return;
    var carried = tappedSubmit && tappedSubmit === event.target.form;
    tappedSubmit = null;
    if (carried) {
      clearTimeout(timers[event.target.dataset.result]);
      return;
    }
    saveNow(event.target);
  });

  // A rating (or Save notes) sent the notes with it: what the answer shows is what is saved.
  // Anything typed while that request was on its way is put back and saved in turn.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var item = event.detail.target;
    var old = item && item.querySelector && item.querySelector(".inspect-notes__field");
    if (old) typedDuringSwap[item.id] = old.value;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var item = event.target;
    if (!item.classList || !item.classList.contains("inspect-item")) return;
    var textarea = item.querySelector(".inspect-notes__field");
    if (!textarea) return;
    var typed = typedDuringSwap[item.id];
    delete typedDuringSwap[item.id];
    textarea.dataset.saved = textarea.value;
    var url = urlOf(textarea.dataset.result);
    if (url) forget(url, textarea.value);
    if (typed !== undefined && typed !== textarea.value) {
      textarea.value = typed;
      saveNow(textarea);
    }
  });

  // A rating, photo or video could not be sent (no network): the item's notes wait on the
  // tablet; the rest is tapped again when back online.
  document.addEventListener("htmx:sendError", function (event) {
    var item = event.detail.elt && event.detail.elt.closest(".inspect-item");
    var textarea = item && item.querySelector(".inspect-notes__field");
    if (!textarea) return;
    remember(urlOf(textarea.dataset.result), textarea.dataset.result, textarea.value);
    say(textarea.dataset.result, "Offline: not sent. Notes are kept on this tablet; tap again when back online", "offline");
  });

  window.addEventListener("online", sendKept);

  document.addEventListener("DOMContentLoaded", function () {
    // Notes typed here before a reload (or while offline) come back into their fields.
    var all = kept();
    Object.keys(all).forEach(function (url) {
      var textarea = field(all[url].result);
      if (textarea && urlOf(all[url].result) === url) textarea.value = all[url].notes;
    });
    sendKept();
  });
})();
