// socorg: small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  if (window.bootstrap) {
    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach((el) => new window.bootstrap.Tooltip(el));
  }
  // After "skip to main content", focus lands on <main> so the next Tab starts there.
  document.querySelectorAll(".skip-link").forEach((link) => {
    link.addEventListener("click", () => {
      const target = document.querySelector(link.getAttribute("href"));
      if (target) target.focus();
    });
  });
});
