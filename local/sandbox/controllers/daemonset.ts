// DaemonSets: the sandbox pretends to have one node, so one pod is desired and, after
// the delay, scheduled, updated, ready and available.
import { compact, type Controller } from './controller.ts';

export const daemonSetController: Controller = {
  group: 'apps',
  resource: 'daemonsets',
  steps(_object, readyDelayMs) {
    return [
      {
        afterMs: 0,
        status: (current) =>
          compact({
            observedGeneration: current.metadata.generation,
            desiredNumberScheduled: 1,
            currentNumberScheduled: 1,
            numberMisscheduled: 0,
            numberUnavailable: 1,
          }),
      },
      {
        afterMs: readyDelayMs,
        status: (current) =>
          compact({
            observedGeneration: current.metadata.generation,
            desiredNumberScheduled: 1,
            currentNumberScheduled: 1,
            updatedNumberScheduled: 1,
            numberReady: 1,
            numberAvailable: 1,
            numberMisscheduled: 0,
          }),
      },
    ];
  },
};
