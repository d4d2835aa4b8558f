package dev.jbuild.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {
  @ParameterizedTest
  @CsvSource({
      "linux/amd64, linux/amd64",
      "linux/x86_64, linux/amd64",
      "linux/aarch64, linux/arm64",
      "linux/arm64/v8, linux/arm64",
      "LINUX/ARM64, linux/arm64",
      "linux/arm, linux/arm/v7",
      "linux/armhf, linux/arm/v7",
      "linux/arm/7, linux/arm/v7",
      "linux/arm/v6, linux/arm/v6",
      "linux/i386, linux/386",
      "linux/ppc64le, linux/ppc64le",
      "linux/s390x, linux/s390x",
      "linux/riscv64, linux/riscv64",
      "arm64, linux/arm64",
      "windows/amd64, windows/amd64",
  })
  void normalisesAsContainerdDoes(String in, String expected) {
    assertEquals(expected, Platform.parse(in).toString());
  }

  @Test
  void arm64IsWrittenWithVariantV8InIndexes() {
    assertEquals("v8", Platform.parse("linux/arm64").indexVariant());
    assertEquals("", Platform.parse("linux/amd64").indexVariant());
    assertEquals(Platform.parse("linux/arm64/v8"), Platform.parse("linux/arm64"));
  }

  @ParameterizedTest
  @CsvSource({"''", "linux/", "/amd64", "linux/amd64/v1/x", "linux/am d64"})
  void rejectsMalformedPlatforms(String in) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.parse(in));
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void unameMachineOfCommonPlatforms() {
    assertEquals("x86_64", Platform.LINUX_AMD64.unameMachine());
    assertEquals("aarch64", Platform.LINUX_ARM64.unameMachine());
  }

  @TempDir Path binfmt;

  private void handler(String name, String state, String flags) throws IOException {
    Files.writeString(binfmt.resolve(name), state + "\ninterpreter /usr/libexec/qemu-binfmt/x\nflags: " + flags
        + "\noffset 0\nmagic 7f454c46\n");
  }

  @Test
  void emulationNeedsAnEnabledHandlerWithTheFixBinaryFlag() throws IOException {
    Files.writeString(binfmt.resolve("register"), "");
    Emulation e = new Emulation(binfmt, Platform.LINUX_AMD64);
    assertTrue(e.check(Platform.LINUX_AMD64).usable(), "native");
    assertTrue(e.check(Platform.parse("linux/386")).usable(), "386 runs natively on amd64");
    assertFalse(e.check(Platform.LINUX_ARM64).usable());
    assertTrue(e.remedy(Platform.LINUX_ARM64).contains("qemu-user-static"), e.remedy(Platform.LINUX_ARM64));

    handler("qemu-aarch64", "enabled", "OC");
    assertFalse(e.check(Platform.LINUX_ARM64).usable(), "without F the interpreter is not found in containers");
    assertTrue(e.remedy(Platform.LINUX_ARM64).contains("F (fix binary)"), e.remedy(Platform.LINUX_ARM64));

    handler("qemu-aarch64", "disabled", "POCF");
    assertFalse(e.check(Platform.LINUX_ARM64).usable());
    assertTrue(e.remedy(Platform.LINUX_ARM64).contains("disabled"), e.remedy(Platform.LINUX_ARM64));

    handler("qemu-aarch64", "enabled", "POCF");
    assertTrue(e.check(Platform.LINUX_ARM64).usable());
    assertEquals("", e.remedy(Platform.LINUX_ARM64));
  }

  @Test
  void withoutBinfmtMiscTheRemedyIsToSetItUp() {
    Emulation e = new Emulation(binfmt.resolve("absent"), Platform.LINUX_AMD64);
    assertTrue(e.remedy(Platform.parse("linux/s390x")).contains("binfmt_misc is not mounted"));
  }

  @Test
  void registrarAddsTheFixBinaryFlag(@TempDir Path conf) throws Exception {
    Files.writeString(binfmt.resolve("register"), "");
    Files.writeString(conf.resolve("qemu-aarch64.conf"), ":qemu-aarch64:M::\\x7fELF:\\xff:/usr/libexec/qemu-binfmt/aarch64-binfmt-P:OC\n");
    var out = new BinfmtRegistrar(binfmt, conf).registerQemuHandlers();
    assertEquals("registered", out.get(0).action());
    // the "register" file of a real binfmt_misc consumes the line; here it keeps what was written
    assertTrue(Files.readString(binfmt.resolve("register")).endsWith(":OCF"), Files.readString(binfmt.resolve("register")));
  }
}
