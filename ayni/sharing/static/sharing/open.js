/* A share link's address is /c/#<token>: the token follows "#", which browsers never
   send, so no access log, proxy or Referer holds it. This script copies it into the
   form and clears it from the address bar; the «Código del enlace» field is then not
   needed and hides. Another link pasted in the same tab only changes the "#": it is
   read again. Without JavaScript, the holder pastes the part after "#". */
(function () {
  var input = document.querySelector("input[data-share-token]");
  if (!input) return;
  function take() {
    var code = decodeURIComponent(window.location.hash.slice(1));
    if (!code) return;
    input.value = code;
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    var paste = document.getElementById("share-paste");
    if (paste) paste.hidden = true;
  }
  take();
  window.addEventListener("hashchange", take);
})();
