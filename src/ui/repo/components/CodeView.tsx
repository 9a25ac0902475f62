/**
 * Lines of code with numbers; each number is an `#L{n}` anchor. The line HTML comes from the
 * server's highlighter, which escapes the source text, so it is safe to insert.
 */
export function CodeView({ lines, language }: { lines: string[]; language: string | null }) {
  return (
    <div className="rp-code-wrap">
      <table className="rp-code" data-language={language ?? 'plaintext'}>
        <tbody>
          {lines.map((html, i) => {
            const n = i + 1;
            return (
              <tr key={n} id={`L${n}`}>
                <td className="rp-ln">
                  <a href={`#L${n}`}>{n}</a>
                </td>
                {/* biome-ignore lint/security/noDangerouslySetInnerHtml: escaped by the highlighter on the server */}
                <td className="rp-lc hljs" dangerouslySetInnerHTML={{ __html: html }} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
