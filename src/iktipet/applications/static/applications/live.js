/* Live questions on a step (issue 14): as the person answers, the step is posted to the
   server's preview (the same rules as saving, nothing saved) and the fields it returns are
   put in place. Questions the answers reveal appear, ones they hide go, computed texts (the
   fee) update, and the change is announced in the page's aria-live region. A field already
   on the page is kept as it is, so what is being typed and the focus are never disturbed.
   Without this script the page works as before: "Neste steg" shows the new questions. */
(function () {
  "use strict";

  var container = document.querySelector("[data-live-url]");
  if (!container || !window.fetch || !window.FormData) {
    return;
  }
  var form = container.closest("form");
  var status = document.querySelector("[data-live-status]");
  var url = container.getAttribute("data-live-url");
  var pending = null;
  var sequence = 0;
  var timer = null;

  function fieldsOf(root) {
    var found = {};
    root.querySelectorAll("[data-live-field]").forEach(function (node) {
      found[node.getAttribute("data-live-field")] = node;
    });
    return found;
  }

  function isBlank(root) {
    var blank = true;
    root.querySelectorAll("input, textarea, select").forEach(function (input) {
      var kind = input.type;
      if (kind === "hidden" || kind === "submit" || kind === "button" || kind === "file") {
        return;
      }
      if (kind === "radio" || kind === "checkbox") {
        blank = blank && !input.checked;
      } else if (input.tagName === "SELECT") {
        blank = blank && !input.value;
      } else {
        blank = blank && !input.value.trim();
      }
    });
    return blank;
  }

  function labelOf(node) {
    return node.getAttribute("data-live-label") || "";
  }

  function announce(added, removed, updated) {
    var parts = [];
    if (added.length) {
      parts.push(container.getAttribute("data-live-added") + " " + added.join(", ") + ".");
    }
    if (removed.length) {
      parts.push(container.getAttribute("data-live-removed") + " " + removed.join(", ") + ".");
    }
    if (updated.length) {
      parts.push(container.getAttribute("data-live-updated") + " " + updated.join(", ") + ".");
    }
    if (parts.length && status) {
      status.textContent = parts.join(" ");
    }
  }

  function apply(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = template.content;
    var old = fieldsOf(container);
    var added = [];
    var removed = [];
    var updated = [];
    var wanted = [];
    var replaced = {};
    fresh.querySelectorAll("[data-live-field]").forEach(function (node) {
      var name = node.getAttribute("data-live-field");
      var current = old[name];
      var computed = node.getAttribute("data-live-kind") === "info";
      // A field still empty that the server filled in (from a register, by another
      // answer) is replaced; one the person has begun on, or is in, is kept as it is.
      var filled =
        current && !computed && isBlank(current) && !isBlank(node) &&
        !current.contains(document.activeElement);
      if (current && ((!computed && !filled) || current.innerHTML === node.innerHTML)) {
        wanted.push(current);
        return;
      }
      wanted.push(document.importNode(node, true));
      if (current) {
        replaced[name] = true;
        updated.push(labelOf(node));
      } else {
        added.push(labelOf(node));
      }
    });
    Object.keys(old).forEach(function (name) {
      if (wanted.indexOf(old[name]) < 0) {
        if (!replaced[name]) {
          removed.push(labelOf(old[name]));
        }
        old[name].remove();
      }
    });
    // Fields keep their order in the definition, so what is kept is already in place and
    // only new fields are inserted. A kept field is never moved: moving the field the
    // person is typing in takes the focus from it, and what is typed next is lost.
    var cursor = container.firstElementChild;
    wanted.forEach(function (node) {
      if (node === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        container.insertBefore(node, cursor);
      }
    });
    // The page has now shown these fields: "Neste steg" need not stop to show them.
    var anchor = container.querySelector("[data-live-shown]");
    var shown = fresh.querySelector("[data-live-shown]");
    if (shown && anchor) {
      anchor.innerHTML = shown.innerHTML;
    }
    announce(added.filter(Boolean), removed.filter(Boolean), updated.filter(Boolean));
    return added.length > 0;
  }

  function refresh() {
    timer = null;
    var data = new FormData(form);
    data.delete("_action");
    // Files are uploaded with their own button; the preview needs none of them.
    Array.prototype.slice.call(form.querySelectorAll("input[type=file]")).forEach(function (input) {
      data.delete(input.name);
    });
    var mine = ++sequence;
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: pending.signal,
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        // Only the newest answer counts; a failed preview leaves the page as it was.
        if (html !== null && mine === sequence && apply(html) && held) {
          heldRevealed = true;
        }
        settled(mine);
      })
      .catch(function () {
        settled(mine);
      });
  }

  // "pending" from an answer until its preview is applied (or failed): what a test, or a
  // script of the city's own, waits for before pressing on.
  function settled(mine) {
    // Not while a newer answer waits for its turn (typing: 400 ms after the last key).
    if (mine === sequence && timer === null) {
      container.setAttribute("data-live-state", "idle");
      release();
    }
  }

  // "Neste steg" pressed while an answer's preview is on its way waits for it (three seconds
  // at most). A question it reveals is then shown here and announced, and the person answers
  // it before going on, as the server would ask without JavaScript; otherwise the press goes
  // on as made. Other buttons (back, save, search, upload) are never held.
  var held = null;
  var heldRevealed = false;
  var holdTimer = null;
  var releasing = false;

  function release() {
    var button = held;
    var revealed = heldRevealed;
    held = null;
    heldRevealed = false;
    window.clearTimeout(holdTimer);
    if (button && !revealed) {
      releasing = true;
      try {
        button.click();
      } finally {
        releasing = false;
      }
    }
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (releasing || !button || button.value !== "next") {
      return;
    }
    if (container.getAttribute("data-live-state") !== "pending") {
      return;
    }
    event.preventDefault();
    held = button;
    window.clearTimeout(holdTimer);
    holdTimer = window.setTimeout(function () {
      heldRevealed = false;
      release();
    }, 3000);
    if (timer !== null) {
      // The person stopped typing by pressing the button: ask now, not 400 ms later.
      window.clearTimeout(timer);
      refresh();
    }
  });

  function later(delay) {
    container.setAttribute("data-live-state", "pending");
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, delay);
  }

  form.addEventListener("change", function (event) {
    if (event.target.type !== "file") {
      later(0);
    }
  });
  form.addEventListener("input", function (event) {
    var kind = event.target.type;
    if (kind === "text" || kind === "number" || kind === "textarea" || kind === "email" || kind === "tel") {
      later(400);
    }
  });
})();
