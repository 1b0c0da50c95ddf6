// The page and its filters live in the URL fragment (#/calls?status=busy), so any view can be reloaded or shared.

let render = () => {};
let generation = 0;

/** The current route: path ("/calls", "/calls/<id>") and its parameters. */
export function route() {
  const hash = location.hash.replace(/^#/, '') || '/calls';
  const at = hash.indexOf('?');
  return {
    path: at < 0 ? hash : hash.slice(0, at),
    params: new URLSearchParams(at < 0 ? '' : hash.slice(at + 1)),
  };
}

/** The fragment for a route. */
export function href(path, params) {
  const text = params ? params.toString() : '';
  return `#${path}${text ? `?${text}` : ''}`;
}

/** Moves to a route (rendering it again when it is the current one). */
export function go(path, params) {
  const target = href(path, params);
  if (location.hash === target) navigate(); else location.hash = target;
}

/** Each navigation gets a number; a page whose data arrives after the admin moved on drops it. */
export const isCurrent = (g) => g === generation;

export function navigate() {
  render(route(), ++generation);
}

/** Sets the function that draws a route, and follows fragment changes. */
export function start(draw) {
  render = draw;
  window.addEventListener('hashchange', navigate);
  navigate();
}
