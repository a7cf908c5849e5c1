/**
 * How numbers that are no longer live look: grey, colours gone, and still readable. Dimming with opacity put the
 * labels under the 4.5:1 contrast that axe-core asks for, so the text takes a grey that keeps it above that instead.
 */
export function staleLook(live: boolean): string {
  return live ? '' : 'grayscale [&_*]:text-zinc-600! dark:[&_*]:text-zinc-400!';
}
