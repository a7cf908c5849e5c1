'use client';

import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';

interface Props {
  /** Number of rows in the whole list (rendered or not). */
  count: number;
  /** Every row has this height (px): the list is a plain multiplication, no measuring. */
  rowHeight: number;
  /** Height of the scrolling viewport (px), header included. */
  height: number;
  /** A sticky header inside the viewport (so it lines up with the rows whatever the scrollbar). */
  header?: ReactNode;
  headerHeight?: number;
  /** Rows rendered above and below the visible ones. */
  overscan?: number;
  renderRow: (index: number, style: CSSProperties) => ReactNode;
  /** The rows currently rendered, [first, last] inclusive (for fetching the pages they need). */
  onRange?: (first: number, last: number) => void;
  /** Scroll back to the top whenever this changes (a new filter or sort). */
  resetKey?: string;
  label: string;
  className?: string;
}

/**
 * Windowing for long tables: only the rows in view (plus a few) exist in the DOM, absolutely placed inside a spacer as
 * tall as the whole list. 100,000 rows cost the same as 40.
 */
export function VirtualList({
  count,
  rowHeight,
  height,
  header,
  headerHeight = 0,
  overscan = 8,
  renderRow,
  onRange,
  resetKey,
  label,
  className = '',
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef(0);

  useLayoutEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  const bodyHeight = height - headerHeight;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + bodyHeight) / rowHeight) + overscan);

  useEffect(() => {
    onRange?.(first, Math.max(first, last));
  }, [first, last, onRange]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    rows.push(renderRow(i, { position: 'absolute', top: i * rowHeight, left: 0, right: 0, height: rowHeight }));
  }
  return (
    <div
      ref={ref}
      role="table"
      aria-label={label}
      aria-rowcount={count + 1}
      tabIndex={0}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        cancelAnimationFrame(frame.current);
        frame.current = requestAnimationFrame(() => setScrollTop(top));
      }}
      className={`relative overflow-y-auto overscroll-contain outline-none focus-visible:ring-2 focus-visible:ring-sky-500/40 ${className}`}
      style={{ height }}
    >
      {header && (
        <div role="rowgroup" className="sticky top-0 z-10" style={{ height: headerHeight }}>
          {header}
        </div>
      )}
      <div role="rowgroup" style={{ position: 'relative', height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
