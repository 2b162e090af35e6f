// A signed-in studio: every request that changes something carries the session's CSRF token
// (the X-CSRF-Token header for the page's own requests, ?csrf= on a plain form's address).
(function () {
  "use strict";
  const token = document.querySelector('meta[name="csrf"]').content;
  const original = window.fetch;
  window.fetch = function (url, options) {
    options = options || {};
    const method = (options.method || "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD") {
      const headers = new Headers(options.headers || {});
      headers.set("X-CSRF-Token", token);
      options = Object.assign({}, options, { headers: headers });
    }
    return original.call(this, url, options);
  };
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if ((form.method || "").toLowerCase() !== "post") return;
    const action = new URL(form.getAttribute("action") || location.href, location.href);
    action.searchParams.set("csrf", token);
    form.setAttribute("action", action.pathname + action.search);
  }, true);
})();
