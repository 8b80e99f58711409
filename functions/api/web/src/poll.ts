// Run `tick` now and then every `intervalMs` after the previous run finished (never two at once),
// skipping ticks while the page is hidden; stops when the component unmounts or `deps` change.
// `now()` asks for a run at once (after an action), or right after the one in progress.
import { useEffect, useRef } from 'preact/hooks';

export function usePoll(tick: () => Promise<void>, intervalMs: number, deps: unknown[]): { now(): void } {
  const wake = useRef<() => void>(() => undefined);
  useEffect(() => {
    let stopped = false;
    let running = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (force: boolean): Promise<void> => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      clearTimeout(timer);
      running = true;
      try {
        if (force || !document.hidden) await tick();
      } finally {
        running = false;
        if (!stopped) {
          const soon = again;
          again = false;
          timer = setTimeout(() => void run(false), soon ? 0 : intervalMs);
        }
      }
    };
    wake.current = () => void run(true);
    void run(true);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, deps);
  return { now: () => wake.current() };
}
