import { useState } from 'react';

/** The clone URL in a selectable field, with a copy button once JavaScript runs. */
export function CloneBox({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="rp-clone">
      <label htmlFor="rp-clone-url" className="rp-muted">
        Clone
      </label>
      <input
        id="rp-clone-url"
        readOnly
        value={url}
        onFocus={(e) => e.currentTarget.select()}
        data-testid="clone-url"
      />
      <button type="button" className="rp-button" onClick={copy} aria-label="Copy clone URL">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
