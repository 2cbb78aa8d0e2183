// Progressive enhancement: submit the form marked data-autosubmit once the page has loaded.
// Without JavaScript the form's own button does the same in one click.
(function () {
  "use strict";
  function submit() {
    var form = document.querySelector("form[data-autosubmit]");
    if (form) {
      form.submit();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", submit);
  } else {
    submit();
  }
})();
