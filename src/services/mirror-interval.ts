// A mirror's interval written as Gitea writes it (a Go duration such as "8h0m0s"): the API's
// answers and the settings pages both show it.

export function formatMirrorInterval(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h}h${m}m${seconds % 60}s`;
}
