package io.ranksort4j.data.transform;

/** A decoded 8-bit RGB image, row-major and channel-interleaved ({@code rgb[(y*width + x)*3 + c]}). */
public record DecodedImage(int width, int height, byte[] rgb) {}
