global using Inferd.Batch.Data;
