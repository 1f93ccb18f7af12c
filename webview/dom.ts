/** A tiny element builder, so views read as markup without innerHTML (text is always set as text, never parsed). */

type Child = Node | string;

export interface ElementProps {
  className?: string;
  /** Attributes, including role, aria-* and data-*. */
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: ElementProps, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: ElementProps, ...children: Child[]): HTMLElement;
export function h(tag: string, props: ElementProps = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  if (props.className !== undefined) element.className = props.className;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** True when the page links the codicon font (renderWebviewHtml with codiconsUri); icons are left out otherwise. */
export function hasCodicons(): boolean {
  return document.getElementById('vscode-codicon-stylesheet') !== null;
}

/** A decorative codicon, hidden from screen readers (the text next to it carries the meaning). */
export function codicon(name: string): HTMLElement | string {
  if (!hasCodicons()) return '';
  return h('vscode-icon', { className: 'icon', attrs: { name, 'aria-hidden': 'true' } });
}
