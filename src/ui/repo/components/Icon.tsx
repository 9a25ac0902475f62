/** Small inline icons for entry kinds (no icon font or emoji, which not every system can draw). */
const PATHS: Record<string, string> = {
  dir: 'M1.75 2h4.5l1.5 1.5h6.5c.41 0 .75.34.75.75v8.5c0 .41-.34.75-.75.75H1.75A.75.75 0 0 1 1 12.75v-10C1 2.34 1.34 2 1.75 2Z',
  file: 'M3.75 1h5.5L13 4.75v9.5c0 .41-.34.75-.75.75h-8.5A.75.75 0 0 1 3 14.25V1.75C3 1.34 3.34 1 3.75 1Zm5 1.5V5.5h3',
  symlink:
    'M3.75 1h5.5L13 4.75v9.5c0 .41-.34.75-.75.75h-8.5A.75.75 0 0 1 3 14.25V1.75C3 1.34 3.34 1 3.75 1ZM5.5 11l4-4m-3 0h3v3',
  submodule: 'M2 3.5h12v9H2Zm0 3h12',
};

export function EntryIcon({ kind }: { kind: string }) {
  return (
    <svg className={`rp-icon rp-icon-${kind}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path
        d={PATHS[kind] ?? PATHS.file}
        fill={kind === 'dir' ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="1.2"
      />
    </svg>
  );
}
