// Dates, times and numbers in the chosen locale, through Intl (no formatting library needed).

export function formatDateTime(value: string | number, locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A list's short time: the time for today, the date otherwise. */
export function formatShort(value: string | number, locale: string, now = new Date()): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(locale, sameDay ? { timeStyle: 'short' } : { month: 'short', day: 'numeric' }).format(
    date,
  );
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function formatDuration(seconds: number, locale: string): string {
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  const two = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 });
  return `${minutes}:${two.format(rest)}`;
}
