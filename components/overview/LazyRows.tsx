'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

/** How far off the screen a block is drawn, so that rows scrolled to are there already. */
const NEAR_MARGIN = '600px 0px';

/**
 * A block of table rows (its own <tbody>) drawn only while it is on or near the screen; otherwise one empty row as
 * tall as the block was when last drawn, so the page keeps its length and nothing moves. With 1,000 services, drawing
 * every row on each 1 s update kept the main thread busy most of the time. Near but off the screen, the block keeps
 * the rows it drew (the same elements: React leaves them) and draws them again once it comes on the screen or its
 * rows change (`shape`): each update then redraws the rows in sight, not twice as many.
 */
export function LazyRows({
  rows,
  columns,
  estimateRowPx,
  eager = false,
  className,
  shape,
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
  /** Which rows the block holds (not their figures): rows kept off the screen are drawn again when it changes. */
  shape: string;
  /** Called only while the block is drawn. */
  children: () => ReactNode;
}) {
  const ref = useRef<HTMLTableSectionElement>(null);
  const [near, setNear] = useState(eager);
  const [onScreen, setOnScreen] = useState(eager);
  const [rowPx, setRowPx] = useState(estimateRowPx);
  const drawn = useRef<{ rows: ReactNode; shape: string } | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const nearIo = new IntersectionObserver(
      (entries) => {
        const e = entries.at(-1);
        if (!e) return;
        // Leaving: the box still holds the drawn rows, so its height is the one to keep.
        const isDrawn = el.rows.length > 0 && el.rows[0]?.dataset.placeholder === undefined;
        if (!e.isIntersecting && isDrawn) setRowPx(e.boundingClientRect.height / el.rows.length);
        setNear(e.isIntersecting);
      },
      { rootMargin: NEAR_MARGIN },
    );
    nearIo.observe(el);
    return () => nearIo.disconnect();
  }, []);
  // Watched only while near: 400 blocks of 10,000 services each watched twice cost ~1 s of the main thread in 30 s of
  // scrolling (intersections are worked out at every frame); far off, the block is not on the screen anyway.
  useEffect(() => {
    const el = ref.current;
    if (!near || !el) return;
    const screenIo = new IntersectionObserver((entries) => {
      const e = entries.at(-1);
      if (e) setOnScreen(e.isIntersecting);
    });
    screenIo.observe(el);
    return () => screenIo.disconnect();
  }, [near]);
  if (!near) drawn.current = null;
  else if (onScreen || drawn.current?.shape !== shape) drawn.current = { rows: children(), shape };
  return (
    <tbody ref={ref} className={className}>
      {near ? (
        drawn.current?.rows
      ) : (
        <tr aria-hidden="true" data-placeholder="" style={{ height: rows * rowPx }}>
          <td colSpan={columns} />
        </tr>
      )}
    </tbody>
  );
}
