'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A block of table rows (its own <tbody>) drawn only while it is on or near the screen; otherwise one empty row as
 * tall as the block was when last drawn, so the page keeps its length and nothing moves. With 1,000 services, drawing
 * every row on each 1 s update kept the main thread busy most of the time.
 */
export function LazyRows({
  rows,
  columns,
  estimateRowPx,
  eager = false,
  className,
  children,
}: {
  /** Rows in the block. */
  rows: number;
  columns: number;
  /** Row height until the block has been drawn once. */
  estimateRowPx: number;
  /** Drawn from the first render (the top of the page, before the observer has reported). */
  eager?: boolean;
  className: string;
  /** Called only while the block is drawn. */
  children: () => ReactNode;
}) {
  const ref = useRef<HTMLTableSectionElement>(null);
  const [near, setNear] = useState(eager);
  const [rowPx, setRowPx] = useState(estimateRowPx);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver(
      (entries) => {
        const e = entries.at(-1);
        if (!e) return;
        // Leaving: the box still holds the drawn rows, so its height is the one to keep.
        const drawn = el.rows.length > 0 && el.rows[0]?.dataset.placeholder === undefined;
        if (!e.isIntersecting && drawn) setRowPx(e.boundingClientRect.height / el.rows.length);
        setNear(e.isIntersecting);
      },
      { rootMargin: '600px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, []);
  return (
    <tbody ref={ref} className={className}>
      {near ? (
        children()
      ) : (
        <tr aria-hidden="true" data-placeholder="" style={{ height: rows * rowPx }}>
          <td colSpan={columns} />
        </tr>
      )}
    </tbody>
  );
}
