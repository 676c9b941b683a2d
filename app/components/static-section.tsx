/**
 * A section's text as the server rendered it from the stored document (escaped, links
 * sanitized by renderSectionHtml), shown until the live document has synced.
 */
export function StaticSection({ html }: { html: string }) {
  return <div className="prose-content static" dangerouslySetInnerHTML={{ __html: html }} />;
}
