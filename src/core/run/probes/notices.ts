// The notices (RAISE NOTICE, WARNING, …) the server sent while the statement ran.
import type { ProbeFactory } from './probe';

export const noticesProbe: ProbeFactory = ({ session }) => {
  let stop: (() => void) | null = null;
  return {
    name: 'notices',
    before: ({ report }) => {
      stop = session.onNotice((notice) => report.notices.push(notice));
    },
    after: () => {
      stop?.();
      stop = null;
    },
  };
};
