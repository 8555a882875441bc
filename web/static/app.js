// khoso pages work without this script; it only hides the page picker of
// the copy form while a full copy (sao y) is chosen.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
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
});
