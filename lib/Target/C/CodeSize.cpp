//===- CodeSize.cpp - Flash and RAM of generated C on a microcontroller ---===//

#include "lib/Target/C/CodeSize.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"

using namespace mlir;
using namespace mlir::intc;

std::optional<std::string> c::findArmCompiler() {
  llvm::ErrorOr<std::string> path =
      llvm::sys::findProgramByName("arm-none-eabi-gcc");
  if (!path)
    return std::nullopt;
  return *path;
}

llvm::Expected<c::ObjectSize> c::measureArmObject(llvm::StringRef compiler,
                                                  llvm::StringRef source,
                                                  llvm::StringRef includeDir) {
  llvm::SmallString<128> object;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("intc-size", "o", object))
    return llvm::errorCodeToError(ec);
  llvm::FileRemover remove(object);
  std::string include = ("-I" + includeDir).str();
  llvm::SmallVector<llvm::StringRef> args = {compiler,
                                             "-std=c99",
                                             "-mcpu=cortex-m4",
                                             "-mthumb",
                                             "-mfloat-abi=soft",
                                             "-Os",
                                             include,
                                             "-c",
                                             source,
                                             "-o",
                                             object};
  std::string message;
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, std::nullopt,
                                                std::nullopt};
  int rc = llvm::sys::ExecuteAndWait(compiler, args, std::nullopt, redirects,
                                     /*SecondsToWait=*/120, 0, &message);
  if (rc != 0)
    return llvm::createStringError("arm-none-eabi-gcc failed on " + source +
                                   (message.empty() ? "" : ": " + message));

  auto binary = llvm::object::ObjectFile::createObjectFile(object);
  if (!binary)
    return binary.takeError();
  auto *elf =
      llvm::dyn_cast<llvm::object::ELFObjectFileBase>(binary->getBinary());
  if (!elf)
    return llvm::createStringError("not an ELF object: " + object);
  ObjectSize size;
  for (llvm::object::ELFSectionRef section : elf->sections()) {
    uint64_t flags = section.getFlags();
    if (!(flags & llvm::ELF::SHF_ALLOC))
      continue;
    if (section.getType() == llvm::ELF::SHT_NOBITS)
      size.bss += section.getSize();
    else if (flags & llvm::ELF::SHF_WRITE)
      size.data += section.getSize();
    else
      size.text += section.getSize();
  }
  return size;
}
