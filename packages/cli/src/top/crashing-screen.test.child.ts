// A program that crashes while top's screen is up, for the test that the terminal is restored
// after an uncaught exception: it enters the screen as `mmstats top` does, with the same
// guard and crash report, draws a frame, then throws an error whose message holds a control
// sequence (as a file's text might).
import { reportCrash } from '../commands/top.js';
import { restoreOnExit, Screen } from './screen.js';

const screen = new Screen();
restoreOnExit(screen, reportCrash);
screen.enter();
screen.draw(['CRASH-TEST-FRAME']);
process.stdin.resume();
setTimeout(() => {
  throw new Error('boom \x1b[2J');
}, 500);
