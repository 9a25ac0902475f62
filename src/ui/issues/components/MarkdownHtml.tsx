/** Markdown already rendered and sanitized on the server (src/ui/issues/render). */
export function MarkdownHtml({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized on the server (sanitize-html allow-list)
  return <div className="rp-markdown is-markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
