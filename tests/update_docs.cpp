// Rewrites every quoted block of the docs and tutorials from its source region or program
// output. Run it through Meson, which builds the tutorial programs first:
//   meson compile -C build update-docs
#include <cstdio>
#include <exception>

#include "docs_sync.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: update_docs SOURCE_ROOT TUTORIAL_BIN\n");
        return 2;
    }
    const docs_sync::Context context = {argv[1], argv[2]};
    try {
        int updated = 0;
        for (const auto& file : docs_sync::markdown_files(context.source_root))
            if (docs_sync::update_file(file, context)) {
                std::printf("updated %s\n", file.string().c_str());
                ++updated;
            }
        std::printf("%d file(s) updated\n", updated);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "update_docs: %s\n", error.what());
        return 1;
    }
}
