// A button marked data-confirm="…" asks before its form is sent (no inline handlers under the
// Content-Security-Policy); the question names what the click will do.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
