import type { PropsWithChildren } from 'react';
import { registerServiceWorker } from './services/service-worker';
import './app.scss';

registerServiceWorker();

// The session check lives in the pages: the login page forwards a signed-in user home,
// and each home page sends a signed-out user to login.
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
