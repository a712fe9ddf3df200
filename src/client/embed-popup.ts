// The first-party sign-in window opened by an embedded conversation: it hands the frame that opened
// it a one-time code (to Parley's own origin only, so the publisher's page never sees it) and closes.

const { code, state } = document.body.dataset;
const status = document.querySelector('.embed-handoff__status');
if (code && state && window.opener) {
  (window.opener as Window).postMessage({ type: 'parley:signed-in', code, state }, location.origin);
  setTimeout(() => window.close(), 50);
} else if (status) {
  status.textContent = 'You are signed in. Go back to the conversation and press Sign in again to continue there.';
}
