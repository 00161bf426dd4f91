import { contextBridge, ipcRenderer } from 'electron';
import { createMonitorBridge } from './bridge';

// The page gets MonitorApi as `window.opspulse` and nothing else: no ipcRenderer, no Node.
contextBridge.exposeInMainWorld('opspulse', createMonitorBridge(ipcRenderer));
