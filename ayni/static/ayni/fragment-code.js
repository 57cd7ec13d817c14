/* Codes sent by e-mail travel after "#" in the link: browsers never send that part
   to the server, so no access log holds it. This script copies it into the form
   (inputs marked data-fragment-code), clears it from the address bar and, on pages
   marked data-autosubmit, sends the form. Without JavaScript, people paste the code
   printed in the e-mail. */
(function () {
  var code = decodeURIComponent(window.location.hash.slice(1));
  if (!code) return;
  var inputs = document.querySelectorAll("input[data-fragment-code]");
  for (var i = 0; i < inputs.length; i++) inputs[i].value = code;
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  var form = document.querySelector("form[data-autosubmit]");
  if (form && inputs.length) form.submit();
})();
