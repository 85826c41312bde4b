import 'reflect-metadata';
import { loadConfig } from './config';
import { exitOnError, serve } from './start';

// The default entry (`npm start`); `berth serve` does the same with flags.
Promise.resolve()
  .then(() => serve(loadConfig()))
  .catch(exitOnError);
