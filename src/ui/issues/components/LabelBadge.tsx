import type { LiveLabel } from '../types';

/** Dark or light text, whichever reads better on the label's color (WCAG relative luminance). */
function textColor(hex: string): string {
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#1f2328' : '#ffffff';
}

export function LabelBadge({ label, href }: { label: LiveLabel; href?: string }) {
  const style = { background: `#${label.color}`, color: textColor(label.color) };
  return href ? (
    <a className="is-label" style={style} href={href} data-testid="label">
      {label.name}
    </a>
  ) : (
    <span className="is-label" style={style} data-testid="label">
      {label.name}
    </span>
  );
}

export function StateBadge({ state }: { state: 'open' | 'closed' }) {
  return (
    <span className={`is-state is-state-${state}`} data-testid="issue-state" data-state={state}>
      {state === 'open' ? 'Open' : 'Closed'}
    </span>
  );
}
