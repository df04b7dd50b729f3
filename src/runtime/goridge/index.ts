export { FRAME_HEADER_SIZE, FRAME_VERSION, FrameFlag, MAX_FRAME_OPTIONS, StreamFlag } from './flags.js';
export { decodeFrame, encodeFrame, encodeFrameHeader, frameAt, readFrameHeader } from './frame.js';
export type { Frame, FrameHeader, FrameInit } from './frame.js';
export { FrameReader } from './frame-reader.js';
export type { FrameReaderOptions } from './frame-reader.js';
