// khoso pages work without this script; it only enhances them: it hides
// the page picker of the copy form while a full copy (sao y) is chosen, and
// checks the metadata form's required fields and dates (dd/mm/yyyy) before
// it is sent, with the message beside the field. The server checks again.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  copyForm();
  metadataForm();
});

function copyForm() {
  var form = document.getElementById("copy-form");
  var picker = document.getElementById("pages-picker");
  if (!form || !picker) {
    return;
  }
  function update() {
    var extract = document.getElementById("form-trich");
    picker.hidden = !(extract && extract.checked);
  }
  form.addEventListener("change", update);
  update();
}

// validDate reports whether s is a calendar date written dd/mm/yyyy (or
// d/m/yyyy), so 31/02 is refused.
function validDate(s) {
  var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (!m) {
    return false;
  }
  var d = +m[1], mo = +m[2], y = +m[3];
  var t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function metadataForm() {
  var form = document.getElementById("meta-form");
  if (!form) {
    return;
  }
  form.noValidate = true; // this script shows the messages instead
  // show puts msg beside input, or clears what this script put there.
  function show(input, msg) {
    var out = document.getElementById("e-" + input.name);
    if (msg) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "e-" + input.name);
      if (out) {
        out.textContent = msg;
        out.hidden = false;
        out.dataset.client = "1";
      }
    } else if (out && out.dataset.client) {
      input.removeAttribute("aria-invalid");
      out.hidden = true;
      delete out.dataset.client;
    }
  }
  function check(input) {
    var v = input.value.trim();
    var msg = "";
    if (input.required && v === "") {
      msg = form.dataset.msgRequired;
    } else if (input.dataset.date && v !== "" && !validDate(v)) {
      msg = form.dataset.msgDate;
    }
    show(input, msg);
    return msg === "";
  }
  var fields = form.querySelectorAll("input[name], textarea[name]");
  // Messages appear when the form is sent, and go once the field is
  // fixed; nothing moves under the pointer while the clerk clicks.
  fields.forEach(function (input) {
    input.addEventListener("input", function () {
      var out = document.getElementById("e-" + input.name);
      if (out && out.dataset.client && check(input)) {
        show(input, "");
      }
    });
  });
  form.addEventListener("submit", function (ev) {
    var first = null;
    fields.forEach(function (input) {
      if (!check(input) && !first) {
        first = input;
      }
    });
    if (first) {
      ev.preventDefault();
      first.focus();
    }
  });
}
