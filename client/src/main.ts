import { mount } from 'svelte';
import App from './App.svelte';
import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';
import './styles/controls.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });
