//===- SourceHygieneTest.cpp - runtime/c stays integer-only and portable --===//
//
// The C runtime is the integer-only executable specification and must build
// freestanding: no floating-point types anywhere (not even in comments), no
// heap, and no headers beyond <stdint.h>, <stddef.h> and <string.h>.
//
//===----------------------------------------------------------------------===//

#include <gtest/gtest.h>

#include <cctype>
#include <dirent.h>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> sources() {
  std::vector<std::string> Files;
  DIR *D = opendir(INTC_RUNTIME_C_SOURCE_DIR);
  if (!D)
    return Files;
  while (dirent *E = readdir(D)) {
    const std::string N = E->d_name;
    if (N.size() > 2 &&
        (N.substr(N.size() - 2) == ".c" || N.substr(N.size() - 2) == ".h"))
      Files.push_back(std::string(INTC_RUNTIME_C_SOURCE_DIR) + "/" + N);
  }
  closedir(D);
  return Files;
}

std::string slurp(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

std::vector<std::string> identifiers(const std::string &Text) {
  std::vector<std::string> Ids;
  std::string Cur;
  for (char C : Text + " ") {
    if (std::isalnum((unsigned char)C) || C == '_') {
      Cur += C;
    } else if (!Cur.empty()) {
      Ids.push_back(Cur);
      Cur.clear();
    }
  }
  return Ids;
}

TEST(SourceHygiene, FilesFound) { EXPECT_GE(sources().size(), 10u); }

TEST(SourceHygiene, NoFloatingPointOrHeapTokens) {
  const std::set<std::string> Banned = {"float",   "double", "malloc", "calloc",
                                        "realloc", "free",   "printf"};
  for (const std::string &F : sources())
    for (const std::string &Id : identifiers(slurp(F)))
      EXPECT_EQ(Banned.count(Id), 0u) << F << ": " << Id;
}

TEST(SourceHygiene, OnlyFreestandingHeaders) {
  const std::set<std::string> Allowed = {"<stdint.h>", "<stddef.h>",
                                         "<string.h>"};
  for (const std::string &F : sources()) {
    std::istringstream In(slurp(F));
    std::string Line;
    while (std::getline(In, Line)) {
      if (Line.rfind("#include", 0) != 0)
        continue;
      const std::string Arg = Line.substr(Line.find_first_of("<\""));
      if (Arg[0] == '"')
        EXPECT_EQ(Arg.rfind("\"runtime/c/intc_", 0), 0u) << F << ": " << Line;
      else
        EXPECT_EQ(Allowed.count(Arg), 1u) << F << ": " << Line;
    }
  }
}

} // namespace
