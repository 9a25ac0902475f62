export interface GroupProcess {
  pid: number;
  name: string;
  rssKiB: number;
}

export function groupProcesses(pgid: number): GroupProcess[];

export function sampleGroup(
  pgid: number,
  everyMs?: number,
): {
  stop(): {
    peakTotalKiB: number;
    peakByName: Record<string, number>;
    exited: { pid: number; name: string }[];
  };
};
