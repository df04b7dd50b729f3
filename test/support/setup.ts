// Loaded by mocha before any spec: tsyringe refuses to load without a Reflect polyfill.
import 'reflect-metadata';
