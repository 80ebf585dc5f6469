// Entry of the Policy Studio page (built by scripts/build-studio.mjs into the worker's assets).
import { render } from 'preact';
import { App } from './app';
import './app.css';

const root = document.getElementById('app')!;
root.textContent = ''; // the static "loading" line
render(<App />, root);
