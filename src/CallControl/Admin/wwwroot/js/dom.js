// Builds DOM nodes. Text is always set as text (never parsed as HTML), so data from the API cannot inject markup.

/** h('a', { href: '#/x', class: 'y' }, 'text', child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the content of <main> and moves focus there (for screen readers after a route change). */
export function render(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat(Infinity).filter(Boolean));
  return main;
}

/** An error box: a message, and for a 400 the parameters the API named. */
export function errorBox(error) {
  const box = h('div', { class: 'error', role: 'alert' }, error?.message ?? String(error));
  const fields = error?.fields;
  if (fields && Object.keys(fields).length > 0) {
    box.append(h('ul', {}, Object.entries(fields).map(([name, messages]) =>
      h('li', {}, h('code', {}, name), ': ', [].concat(messages).join(' ')))));
  }
  return box;
}
