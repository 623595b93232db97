// A moment as pages show it: readable text, with the exact ISO value for
// <time datetime="…" title="…"> (on hover) and for JSON.

/** `text` with the date, `clock` the time of day alone (for lists of one day's events). */
export type TimeView = { iso: string; text: string; clock: string };

const format = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'UTC',
});

export function timeView(at: Date | string): TimeView {
  const date = typeof at === 'string' ? new Date(at) : at;
  return { iso: date.toISOString(), text: `${format.format(date)} UTC`, clock: date.toISOString().slice(11, 19) };
}
