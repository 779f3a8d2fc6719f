package io.ranksort4j.data.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir
    Path dir;

    private Path jpeg() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | (x + y));
            }
        }
        Path f = dir.resolve("a.jpg");
        ImageIO.write(img, "jpeg", f.toFile());
        return f;
    }

    @Test
    @Tag("fault")
    void aTruncatedJpegIsRefusedThoughLibjpegWouldDecodeIt() throws Exception {
        Path f = jpeg();
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length * 2 / 3));
        assertThatThrownBy(() -> ImageDecoder.decode(f)).isInstanceOf(ImageLoadException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("truncated JPEG");
        assertThatThrownBy(() -> ImageDecoder.decodeResized(f, 64, 48, 32, 24)).isInstanceOf(ImageLoadException.class);
    }

    @Test
    void aWholeJpegDecodesEvenWithPaddingAfterItsEnd() throws Exception {
        Path f = jpeg();
        Files.write(f, new byte[16], java.nio.file.StandardOpenOption.APPEND);
        DecodedImage d = ImageDecoder.decode(f);
        assertThat(d.width()).isEqualTo(64);
        assertThat(d.height()).isEqualTo(48);
    }
}
