/* «Copiar enlace»: copies the new share link to the clipboard. Without JavaScript (or
   without clipboard access) the button stays hidden and the address can be selected by
   hand: the field is read-only and selects itself on focus. */
(function () {
  var button = document.getElementById("copy-link");
  var field = document.getElementById("share-address");
  if (!field) return;
  field.addEventListener("focus", function () { field.select(); });
  if (!button || !navigator.clipboard) return;
  var status = document.getElementById("copy-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      if (status) status.textContent = button.getAttribute("data-done");
    }, function () {
      field.focus();
    });
  });
})();
