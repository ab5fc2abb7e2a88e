// Inline SVG icons (no icon font, no emoji: they draw the same on a machine without an emoji font).
interface IconProps {
  name: keyof typeof PATHS;
  size?: number;
}

const PATHS = {
  star: 'M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1L3.2 9.5l6.1-.9z',
  send: 'M3 20l18-8L3 4v6l12 2-12 2z',
  back: 'M15 5l-7 7 7 7',
  mail: 'M3 6h18v12H3z M3 6l9 7 9-7',
  phone:
    'M6.6 10.8a15.1 15.1 0 006.6 6.6l2.2-2.2a1 1 0 011-.25 11.4 11.4 0 003.6.57 1 1 0 011 1V20a1 1 0 01-1 1A17 17 0 013 4a1 1 0 011-1h3.5a1 1 0 011 1c0 1.25.2 2.45.57 3.57a1 1 0 01-.25 1z',
  clip: 'M8 12l6-6a3 3 0 014 4l-8 8a5 5 0 01-7-7l7-7',
  clock: 'M12 3a9 9 0 100 18 9 9 0 000-18z M12 7v5l3 3',
  note: 'M5 3h10l4 4v14H5z M15 3v4h4',
  check: 'M5 12l5 5L20 7',
  alert: 'M12 3l10 18H2z M12 10v5 M12 18v.5',
  copy: 'M8 8h12v12H8z M4 16V4h12',
  user: 'M12 12a4 4 0 100-8 4 4 0 000 8z M4 21a8 8 0 0116 0',
  signOut: 'M10 4H5v16h5 M15 8l4 4-4 4 M19 12H9',
} as const;

export function Icon({ name, size = 18 }: IconProps) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
