// The API reference page (/docs).
import { createRoot } from 'react-dom/client';
import { startI18n } from '../i18n/index.js';
import { Reference } from './reference.js';
import '../styles.css';
import './docs.css';

await startI18n();
const root = document.getElementById('root');
if (root) createRoot(root).render(<Reference />);
